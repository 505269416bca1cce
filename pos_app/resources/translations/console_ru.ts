<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="ru_RU">
<context>
    <name>ConsoleOrders</name>
    <message>
        <location filename="../../ui/console/orders_model.py" line="44" />
        <source>{0} pts</source>
        <translation>{0} б.</translation>
    </message>
    <message>
        <location filename="../../ui/console/orders_model.py" line="48" />
        <source>New</source>
        <translation>Новый</translation>
    </message>
    <message>
        <location filename="../../ui/console/orders_model.py" line="49" />
        <source>Accepted</source>
        <translation>Принят</translation>
    </message>
    <message>
        <location filename="../../ui/console/orders_model.py" line="50" />
        <source>Paid</source>
        <translation>Оплачен</translation>
    </message>
    <message>
        <location filename="../../ui/console/orders_model.py" line="51" />
        <source>Completed</source>
        <translation>Выполнен</translation>
    </message>
    <message>
        <location filename="../../ui/console/orders_model.py" line="52" />
        <source>Cancelled</source>
        <translation>Отменён</translation>
    </message>
    <message>
        <location filename="../../ui/console/orders_model.py" line="53" />
        <source>Voided</source>
        <translation>Аннулирован</translation>
    </message>
    <message>
        <location filename="../../ui/console/orders_model.py" line="59" />
        <source>Cash</source>
        <translation>Наличные</translation>
    </message>
    <message>
        <location filename="../../ui/console/orders_model.py" line="60" />
        <source>Card</source>
        <translation>Карта</translation>
    </message>
    <message>
        <location filename="../../ui/console/orders_model.py" line="61" />
        <source>Balance</source>
        <translation>Депозит</translation>
    </message>
    <message>
        <location filename="../../ui/console/orders_model.py" line="62" />
        <source>Points</source>
        <translation>Баллы</translation>
    </message>
    <message>
        <location filename="../../ui/console/orders_model.py" line="81" />
        <source>No.</source>
        <translation>№</translation>
    </message>
    <message>
        <location filename="../../ui/console/orders_model.py" line="82" />
        <source>Placed</source>
        <translation>Создан</translation>
    </message>
    <message>
        <location filename="../../ui/console/orders_model.py" line="83" />
        <source>Guest</source>
        <translation>Гость</translation>
    </message>
    <message>
        <location filename="../../ui/console/orders_model.py" line="84" />
        <source>Items</source>
        <translation>Состав</translation>
    </message>
    <message>
        <location filename="../../ui/console/orders_model.py" line="85" />
        <source>Total</source>
        <translation>Сумма</translation>
    </message>
    <message>
        <location filename="../../ui/console/orders_model.py" line="86" />
        <source>Ready by</source>
        <translation>Готов к</translation>
    </message>
    <message>
        <location filename="../../ui/console/orders_model.py" line="87" />
        <source>Payment</source>
        <translation>Оплата</translation>
    </message>
    <message>
        <location filename="../../ui/console/orders_model.py" line="88" />
        <source>State</source>
        <translation>Статус</translation>
    </message>
</context>
<context>
    <name>ConsoleWindow</name>
    <message>
        <location filename="../../ui/console/window.py" line="65" />
        <source>Operator console</source>
        <translation>Консоль оператора</translation>
    </message>
    <message>
        <location filename="../../ui/console/window.py" line="90" />
        <source>Incoming</source>
        <translation>Входящие</translation>
    </message>
    <message>
        <location filename="../../ui/console/window.py" line="91" />
        <source>History</source>
        <translation>История</translation>
    </message>
    <message>
        <location filename="../../ui/console/window.py" line="156" />
        <source>Online</source>
        <translation>В сети</translation>
    </message>
    <message>
        <location filename="../../ui/console/window.py" line="157" />
        <source>Offline since {0}</source>
        <translation>Нет связи с {0}</translation>
    </message>
    <message>
        <location filename="../../ui/console/window.py" line="191" />
        <source>Sending…</source>
        <translation>Отправка…</translation>
    </message>
    <message>
        <location filename="../../ui/console/window.py" line="204" />
        <source>Saved on this console; it will be sent when the server is reachable.</source>
        <translation>Сохранено на этой консоли; будет отправлено, когда сервер станет доступен.</translation>
    </message>
    <message>
        <location filename="../../ui/console/window.py" line="209" />
        <source>Another console got there first: the order is now {0}. Nothing was applied twice.</source>
        <translation>Другая консоль успела раньше: заказ уже {0}. Ничего не применено дважды.</translation>
    </message>
    <message>
        <location filename="../../ui/console/window.py" line="214" />
        <source>The server refused: {0}</source>
        <translation>Сервер отказал: {0}</translation>
    </message>
    <message>
        <location filename="../../ui/console/window.py" line="228" />
        <source>Offline: this action needs the server's answer. Try again when the console is back online.</source>
        <translation>Нет связи: для этого действия нужен ответ сервера. Повторите, когда связь восстановится.</translation>
    </message>
    <message>
        <location filename="../../ui/console/window.py" line="232" />
        <source>Not possible any more: the order is {0}.</source>
        <translation>Уже невозможно: заказ {0}.</translation>
    </message>
    <message>
        <location filename="../../ui/console/window.py" line="236" />
        <source>Something went wrong: {0}</source>
        <translation>Что-то пошло не так: {0}</translation>
    </message>
</context>
<context>
    <name>HistoryPanel</name>
    <message>
        <location filename="../../ui/console/history.py" line="41" />
        <source>All states</source>
        <translation>Все статусы</translation>
    </message>
    <message>
        <location filename="../../ui/console/history.py" line="49" />
        <source>Search by guest name, phone or id</source>
        <translation>Поиск по имени, телефону или id гостя</translation>
    </message>
    <message>
        <location filename="../../ui/console/history.py" line="54" />
        <source>State</source>
        <translation>Статус</translation>
    </message>
    <message>
        <location filename="../../ui/console/history.py" line="54" />
        <source>From</source>
        <translation>С</translation>
    </message>
    <message>
        <location filename="../../ui/console/history.py" line="55" />
        <source>To</source>
        <translation>По</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/console/history.py" line="101" />
        <source>%n order(s)</source>
        <translation>
            <numerusform>%n заказ</numerusform>
            <numerusform>%n заказа</numerusform>
            <numerusform>%n заказов</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>IncomingPanel</name>
    <message>
        <location filename="../../ui/console/panel.py" line="55" />
        <source>Incoming orders</source>
        <translation>Входящие заказы</translation>
    </message>
    <message>
        <location filename="../../ui/console/panel.py" line="60" />
        <source>Orders waiting to be accepted</source>
        <translation>Заказы, ожидающие принятия</translation>
    </message>
    <message>
        <location filename="../../ui/console/panel.py" line="61" />
        <source>Sound</source>
        <translation>Звук</translation>
    </message>
    <message>
        <location filename="../../ui/console/panel.py" line="66" />
        <source>Alert once</source>
        <translation>Сигнал один раз</translation>
    </message>
    <message>
        <location filename="../../ui/console/panel.py" line="68" />
        <source>Repeat every {0} s</source>
        <translation>Повторять каждые {0} с</translation>
    </message>
    <message>
        <location filename="../../ui/console/panel.py" line="69" />
        <source>Acknowledge</source>
        <translation>Принято к сведению</translation>
    </message>
    <message>
        <location filename="../../ui/console/panel.py" line="111" />
        <source>Sound on</source>
        <translation>Звук вкл.</translation>
    </message>
    <message>
        <location filename="../../ui/console/panel.py" line="111" />
        <source>Sound off</source>
        <translation>Звук выкл.</translation>
    </message>
</context>
<context>
    <name>OrderDetail</name>
    <message>
        <location filename="../../ui/console/detail.py" line="43" />
        <location filename="../../ui/console/detail.py" line="156" />
        <source>Select an order</source>
        <translation>Выберите заказ</translation>
    </message>
    <message>
        <location filename="../../ui/console/detail.py" line="52" />
        <source>Guest</source>
        <translation>Гость</translation>
    </message>
    <message>
        <location filename="../../ui/console/detail.py" line="52" />
        <source>Points balance</source>
        <translation>Баланс баллов</translation>
    </message>
    <message>
        <location filename="../../ui/console/detail.py" line="53" />
        <source>Balance account</source>
        <translation>Денежный счёт</translation>
    </message>
    <message>
        <location filename="../../ui/console/detail.py" line="180" />
        <source>{0} owed</source>
        <translation>долг {0}</translation>
    </message>
    <message>
        <location filename="../../ui/console/detail.py" line="53" />
        <source>Placed</source>
        <translation>Создан</translation>
    </message>
    <message>
        <location filename="../../ui/console/detail.py" line="53" />
        <source>Ready by</source>
        <translation>Готов к</translation>
    </message>
    <message>
        <location filename="../../ui/console/detail.py" line="54" />
        <source>Payment intent</source>
        <translation>Способ оплаты</translation>
    </message>
    <message>
        <location filename="../../ui/console/detail.py" line="54" />
        <source>Note</source>
        <translation>Комментарий</translation>
    </message>
    <message>
        <location filename="../../ui/console/detail.py" line="55" />
        <source>Paid</source>
        <translation>Оплачен</translation>
    </message>
    <message>
        <location filename="../../ui/console/detail.py" line="55" />
        <source>Debt</source>
        <translation>Долг</translation>
    </message>
    <message>
        <location filename="../../ui/console/detail.py" line="78" />
        <source>Item</source>
        <translation>Позиция</translation>
    </message>
    <message>
        <location filename="../../ui/console/detail.py" line="78" />
        <source>Qty</source>
        <translation>Кол-во</translation>
    </message>
    <message>
        <location filename="../../ui/console/detail.py" line="78" />
        <source>Amount</source>
        <translation>Сумма</translation>
    </message>
    <message>
        <location filename="../../ui/console/detail.py" line="78" />
        <source>Delivered</source>
        <translation>Выдано</translation>
    </message>
    <message>
        <location filename="../../ui/console/detail.py" line="96" />
        <source>Accept</source>
        <translation>Принять</translation>
    </message>
    <message>
        <location filename="../../ui/console/detail.py" line="97" />
        <source>Cancel order</source>
        <translation>Отменить заказ</translation>
    </message>
    <message>
        <location filename="../../ui/console/detail.py" line="98" />
        <source>Deliver item</source>
        <translation>Выдать позицию</translation>
    </message>
    <message>
        <location filename="../../ui/console/detail.py" line="99" />
        <source>Pay</source>
        <translation>Оплатить</translation>
    </message>
    <message>
        <location filename="../../ui/console/detail.py" line="100" />
        <source>Complete</source>
        <translation>Завершить</translation>
    </message>
    <message>
        <location filename="../../ui/console/detail.py" line="101" />
        <source>Void</source>
        <translation>Аннулировать</translation>
    </message>
    <message>
        <location filename="../../ui/console/detail.py" line="117" />
        <source>Method</source>
        <translation>Способ</translation>
    </message>
    <message>
        <location filename="../../ui/console/detail.py" line="163" />
        <source>Order {0}</source>
        <translation>Заказ {0}</translation>
    </message>
    <message>
        <location filename="../../ui/console/detail.py" line="176" />
        <source>{0} available ({1} held)</source>
        <translation>доступно {0} (в холде {1})</translation>
    </message>
    <message>
        <location filename="../../ui/console/detail.py" line="177" />
        <source>not known on this console</source>
        <translation>неизвестен на этой консоли</translation>
    </message>
    <message>
        <location filename="../../ui/console/detail.py" line="191" />
        <source>, {0} in points held</source>
        <translation>, {0} баллами в холде</translation>
    </message>
    <message>
        <location filename="../../ui/console/detail.py" line="195" />
        <source>{0} of {1}</source>
        <translation>{0} из {1}</translation>
    </message>
    <message>
        <location filename="../../ui/console/detail.py" line="202" />
        <source> (points)</source>
        <translation> (баллы)</translation>
    </message>
    <message>
        <location filename="../../ui/console/detail.py" line="235" />
        <source>Needs the server: the console is offline.</source>
        <translation>Нужен сервер: консоль не в сети.</translation>
    </message>
</context>
</TS>