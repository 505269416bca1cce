<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="ru_RU">
<context>
    <name>BasketPanel</name>
    <message>
        <source>Item</source>
        <translation>Товар</translation>
    </message>
    <message>
        <source>Qty</source>
        <translation>Кол.</translation>
    </message>
    <message>
        <source>Remove line (Del)</source>
        <translation>Удалить строку (Del)</translation>
    </message>
    <message>
        <source>Price, ₽</source>
        <translation>Цена, ₽</translation>
    </message>
    <message>
        <source>Disc.</source>
        <translation>Скидка</translation>
    </message>
    <message>
        <source>Total, ₽</source>
        <translation>Сумма, ₽</translation>
    </message>
    <message>
        <source>Qty (F2)</source>
        <translation>Кол-во (F2)</translation>
    </message>
    <message>
        <source>Quantity</source>
        <translation>Количество</translation>
    </message>
    <message>
        <source>Quantity of %1:</source>
        <translation>Количество «%1»:</translation>
    </message>
</context>
<context>
    <name>BonusSettingsDialog</name>
    <message>
        <source>Bonus settings of this order</source>
        <translation>Бонусные настройки этого чека</translation>
    </message>
    <message>
        <source>Now: points accrued %1, at most %2 of the order paid with points.</source>
        <translation>Сейчас: начисление баллов %1, баллами можно оплатить не более %2 чека.</translation>
    </message>
    <message>
        <source>(set by hand for this order)</source>
        <translation>(изменено вручную для этого чека)</translation>
    </message>
    <message>
        <source>as usual</source>
        <translation>как обычно</translation>
    </message>
    <message>
        <source>Empty: the guest's usual setting. A manager's PIN is asked if your role may not.</source>
        <translation>Пусто — обычная настройка гостя. Если вашей роли нельзя, спросим PIN менеджера.</translation>
    </message>
    <message>
        <source>Points accrued, %</source>
        <translation>Начисление баллов, %</translation>
    </message>
    <message>
        <source>Max paid with points, %</source>
        <translation>Оплата баллами не более, %</translation>
    </message>
    <message>
        <source>Type a percentage from 0 to 100, e.g. 10 or 2,5.</source>
        <translation>Введите процент от 0 до 100, например 10 или 2,5.</translation>
    </message>
</context>
<context>
    <name>CataloguePanel</name>
    <message>
        <source>Search by name or code (F3)</source>
        <translation>Поиск по названию или коду (F3)</translation>
    </message>
</context>
<context>
    <name>DeviceStatus</name>
    <message>
        <source>connected</source>
        <translation>подключён</translation>
    </message>
    <message>
        <source>connecting</source>
        <translation>подключается</translation>
    </message>
    <message>
        <source>disconnected</source>
        <translation>отключён</translation>
    </message>
    <message>
        <source>off</source>
        <translation>выключен</translation>
    </message>
    <message>
        <source>not plugged in</source>
        <translation>не подключён к компьютеру</translation>
    </message>
    <message>
        <source>the hidapi library is not installed</source>
        <translation>не установлена библиотека hidapi</translation>
    </message>
    <message>
        <source>the pyserial library is not installed</source>
        <translation>не установлена библиотека pyserial</translation>
    </message>
    <message>
        <source>unplugged: %1</source>
        <translation>отсоединён: %1</translation>
    </message>
    <message>
        <source>cannot open: %1</source>
        <translation>не открывается: %1</translation>
    </message>
</context>
<context>
    <name>DialogScans</name>
    <message>
        <source>Scan ignored during payment.</source>
        <translation>Скан не учтён: идёт оплата.</translation>
    </message>
    <message>
        <source>Scan ignored: only a guest's card or a promo code is taken here.</source>
        <translation>Скан не учтён: здесь принимается только карта гостя или промокод.</translation>
    </message>
    <message>
        <source>Scan ignored while a window is open: close it, then scan again.</source>
        <translation>Скан не учтён, пока открыто окно: закройте его и отсканируйте снова.</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <source>Wrong PIN. %1 more tries before a pause.</source>
        <translation>Неверный ПИН-код. Осталось попыток до паузы: %1.</translation>
    </message>
    <message>
        <source>A PIN is 4 to 8 digits.</source>
        <translation>ПИН-код — от 4 до 8 цифр.</translation>
    </message>
    <message>
        <source>Too many wrong PINs. Try again in %1 seconds.</source>
        <translation>Слишком много неверных ПИН-кодов. Повторите через %1 с.</translation>
    </message>
    <message>
        <source>No staff are set up on this till yet; sync with the server or load the demo data.</source>
        <translation>На этой кассе ещё нет сотрудников: синхронизируйте её с сервером или загрузите демо-данные.</translation>
    </message>
    <message>
        <source>No product has the code %1.</source>
        <translation>Нет товара с кодом %1.</translation>
    </message>
    <message>
        <source>%1 is off sale: its group «%2» is inactive in the back office.</source>
        <translation>%1 не продаётся: его группа «%2» отключена в бэк-офисе.</translation>
    </message>
    <message>
        <source>No guest has this card or code.</source>
        <translation>Нет гостя с такой картой или кодом.</translation>
    </message>
    <message>
        <source>Several guests share this phone number; identify the guest by card instead.</source>
        <translation>Этот номер телефона у нескольких гостей — определите гостя по карте.</translation>
    </message>
    <message>
        <source>This is not a phone number.</source>
        <translation>Это не номер телефона.</translation>
    </message>
    <message>
        <source>Card not read — swipe again.</source>
        <translation>Карта не прочитана — проведите ещё раз.</translation>
    </message>
    <message>
        <source>The basket is empty.</source>
        <translation>Корзина пуста.</translation>
    </message>
    <message>
        <source>The sale is not paid in full yet.</source>
        <translation>Чек ещё не оплачен полностью.</translation>
    </message>
    <message>
        <source>Nothing is left to pay.</source>
        <translation>Оплачивать больше нечего.</translation>
    </message>
    <message>
        <source>This is not an amount of money.</source>
        <translation>Это не сумма денег.</translation>
    </message>
    <message>
        <source>This is more than is due.</source>
        <translation>Это больше, чем к оплате.</translation>
    </message>
    <message>
        <source>A payment was already taken; finish or cancel the sale.</source>
        <translation>Оплата уже принята — завершите или отмените чек.</translation>
    </message>
    <message>
        <source>This line is no longer in the basket.</source>
        <translation>Этой строки уже нет в корзине.</translation>
    </message>
    <message>
        <source>This sale is already finished; start a new one.</source>
        <translation>Этот чек уже закрыт — начните новый.</translation>
    </message>
    <message>
        <source>A manager's PIN is needed for this.</source>
        <translation>Для этого нужен ПИН-код менеджера.</translation>
    </message>
    <message>
        <source>This card already belongs to another guest.</source>
        <translation>Эта карта уже принадлежит другому гостю.</translation>
    </message>
    <message>
        <source>This guest has reached today's limit of card uses (%1).</source>
        <translation>Гость исчерпал дневной лимит использования карты (%1).</translation>
    </message>
    <message>
        <source>This guest is over today's spending limit.</source>
        <translation>Гость превысил сегодняшний лимит списания.</translation>
    </message>
    <message>
        <source>The card was declined. Ask for another card or another way to pay.</source>
        <translation>Карта отклонена. Попросите другую карту или другой способ оплаты.</translation>
    </message>
    <message>
        <source>The card terminal does not answer; nothing was charged. Try again or take cash.</source>
        <translation>Терминал не отвечает; деньги не списаны. Повторите или примите наличные.</translation>
    </message>
    <message>
        <source>The card terminal stopped answering, so it is not known whether the card was charged. Check the terminal's last slip before charging again.</source>
        <translation>Терминал перестал отвечать, и неизвестно, списаны ли деньги. Проверьте последний слип терминала, прежде чем списывать снова.</translation>
    </message>
    <message>
        <source>No card terminal is set up on this till.</source>
        <translation>К этой кассе не подключён платёжный терминал.</translation>
    </message>
    <message>
        <source>No printer is set up on this till.</source>
        <translation>К этой кассе не подключён принтер.</translation>
    </message>
    <message>
        <source>The guest has only %1 on their balance.</source>
        <translation>На депозите гостя только %1.</translation>
    </message>
    <message>
        <source>The guest has only %1 available.</source>
        <translation>У гостя доступно только %1.</translation>
    </message>
    <message>
        <source>Identify the guest first.</source>
        <translation>Сначала определите гостя.</translation>
    </message>
    <message>
        <source>%1 operations have not reached the server yet; closing the shift now needs a manager's PIN.</source>
        <translation>Операций ещё не на сервере: %1; закрыть смену сейчас можно только с ПИН-кодом менеджера.</translation>
    </message>
    <message>
        <source>No shift is open.</source>
        <translation>Смена не открыта.</translation>
    </message>
    <message>
        <source>A shift is already open on this till.</source>
        <translation>Смена на этой кассе уже открыта.</translation>
    </message>
    <message>
        <source>There is not that much cash in the drawer.</source>
        <translation>В кассе нет столько наличных.</translation>
    </message>
    <message>
        <source>This is not a promo code; type the digits after the prefix.</source>
        <translation>Это не промокод — введите цифры после префикса.</translation>
    </message>
    <message>
        <source>Promo code %1 is not known at this till; check the digits.</source>
        <translation>Промокод %1 на этой кассе неизвестен — проверьте цифры.</translation>
    </message>
    <message>
        <source>Guests cannot use their own promo code.</source>
        <translation>Гость не может использовать свой собственный промокод.</translation>
    </message>
    <message>
        <source>This sale already has an order discount.</source>
        <translation>На этот чек уже есть скидка.</translation>
    </message>
    <message>
        <source>At most %1 can be paid with points now.</source>
        <translation>Сейчас баллами можно оплатить не больше %1.</translation>
    </message>
    <message>
        <source>The server refused the points payment; take another payment.</source>
        <translation>Сервер отклонил оплату баллами — примите другую оплату.</translation>
    </message>
    <message>
        <source>The server did not confirm the points in time; nothing was taken. Try again or take another payment.</source>
        <translation>Сервер не подтвердил списание баллов вовремя; ничего не списано. Повторите или примите другую оплату.</translation>
    </message>
    <message>
        <source>Without the server at most %1 can be paid with points for this guest.</source>
        <translation>Без связи с сервером этот гость может оплатить баллами не больше %1.</translation>
    </message>
    <message>
        <source>A promo code already gives this order its discount; remove the code first.</source>
        <translation>Скидку на этот чек уже даёт промокод; сначала уберите промокод.</translation>
    </message>
    <message>
        <source>Type a percentage from 0 to 100, e.g. 10 or 7,5.</source>
        <translation>Введите процент от 0 до 100, например 10 или 7,5.</translation>
    </message>
    <message>
        <source>There is no such receipt at this till.</source>
        <translation>На этой кассе нет такого чека.</translation>
    </message>
    <message>
        <source>Only a paid, closed sale can be refunded.</source>
        <translation>Вернуть можно только оплаченный, закрытый чек.</translation>
    </message>
    <message>
        <source>This receipt was already refunded.</source>
        <translation>По этому чеку уже сделан возврат.</translation>
    </message>
    <message>
        <source>This phone number belongs to another guest.</source>
        <translation>Этот номер телефона принадлежит другому гостю.</translation>
    </message>
    <message>
        <source>The guest has no such card or code.</source>
        <translation>У гостя нет такой карты или кода.</translation>
    </message>
    <message>
        <source>The card cannot be saved like this: a name is needed, a birthday is a past date (YYYY-MM-DD), a percentage is 0 to 100, and blocking, replacing or posting needs a reason.</source>
        <translation>Карточку нельзя сохранить так: нужно имя, день рождения — прошедшая дата (ГГГГ-ММ-ДД), процент — от 0 до 100, а для блокировки, замены и начисления нужна причина.</translation>
    </message>
    <message>
        <source>The history is kept on the server, which cannot be reached now; pages viewed before are shown when you open them again.</source>
        <translation>История хранится на сервере, а он сейчас недоступен; уже просмотренные страницы откроются и без него.</translation>
    </message>
    <message>
        <source>A guest with this phone number already exists; identify that guest instead.</source>
        <translation>Гость с этим номером уже есть — определите его.</translation>
    </message>
    <message>
        <source>The till cannot use its database: %1</source>
        <translation>Касса не может работать со своей базой данных: %1</translation>
    </message>
    <message>
        <source>The till cannot reach a file or device: %1</source>
        <translation>Касса не может обратиться к файлу или устройству: %1</translation>
    </message>
    <message>
        <source>Something went wrong: %1</source>
        <translation>Что-то пошло не так: %1</translation>
    </message>
    <message>
        <source>That is more than is left to refund on this receipt.</source>
        <translation>Это больше, чем осталось вернуть по этому чеку.</translation>
    </message>
    <message>
        <source>Choose at least one line and quantity to refund.</source>
        <translation>Выберите хотя бы одну позицию и количество для возврата.</translation>
    </message>
    <message>
        <source>The card payment (%1) can only be given back whole: choose lines worth at least that much, or refund the whole receipt.</source>
        <translation>Оплату картой (%1) можно вернуть только целиком: выберите позиции хотя бы на эту сумму или верните весь чек.</translation>
    </message>
    <message>
        <source>Expected %1, counted %2: %3 short.</source>
        <translation>Ожидалось %1, пересчитано %2: недостача %3.</translation>
    </message>
    <message>
        <source>Expected %1, counted %2: %3 over.</source>
        <translation>Ожидалось %1, пересчитано %2: излишек %3.</translation>
    </message>
    <message>
        <source>The server has %1 for this guest, so no points were taken; the guest's points now show the server's figure. Take another payment.</source>
        <translation>На сервере у гостя %1, поэтому баллы не списаны; в карточке гостя теперь цифра сервера. Примите другую оплату.</translation>
    </message>
    <message>
        <source>The server has fewer points for this guest than asked; no points were taken. Take another payment.</source>
        <translation>На сервере у гостя меньше баллов, чем запрошено; баллы не списаны. Примите другую оплату.</translation>
    </message>
    <message>
        <source>This guest is not known to the server yet (a guest made at this till reaches it with the next sync), so no points were taken. Take another payment.</source>
        <translation>Сервер ещё не знает этого гостя (гость, заведённый на этой кассе, попадёт туда со следующей синхронизацией), поэтому баллы не списаны. Примите другую оплату.</translation>
    </message>
    <message>
        <source>The server says this guest reached today's points limit; no points were taken. Take another payment.</source>
        <translation>По данным сервера гость исчерпал дневной лимит оплаты баллами; баллы не списаны. Примите другую оплату.</translation>
    </message>
    <message>
        <source>Less was handed over than the top-up: %1.</source>
        <translation>Получено меньше суммы пополнения: %1.</translation>
    </message>
    <message>
        <source>There is no such top-up on this till.</source>
        <translation>На этой кассе нет такого пополнения.</translation>
    </message>
    <message>
        <source>This top-up is more than your role may take; ask a manager.</source>
        <translation>Такое пополнение больше, чем разрешено вашей роли; позовите менеджера.</translation>
    </message>
    <message>
        <source>This top-up was given back already.</source>
        <translation>Это пополнение уже возвращено.</translation>
    </message>
</context>
<context>
    <name>Format</name>
    <message>
        <source>%1 pts</source>
        <translation>%1 б.</translation>
    </message>
</context>
<context>
    <name>GuestCard</name>
    <message>
        <source>Guest card</source>
        <translation>Карточка гостя</translation>
    </message>
    <message>
        <source>Main</source>
        <translation>Основное</translation>
    </message>
    <message>
        <source>Contacts</source>
        <translation>Контакты</translation>
    </message>
    <message>
        <source>Identifiers</source>
        <translation>Идентификаторы</translation>
    </message>
    <message>
        <source>Accounts</source>
        <translation>Счета</translation>
    </message>
    <message>
        <source>History</source>
        <translation>История</translation>
    </message>
    <message>
        <source>Card read: add it, or replace the selected one.</source>
        <translation>Карта считана: добавьте её или замените выбранную.</translation>
    </message>
    <message>
        <source>Identify a guest first.</source>
        <translation>Сначала определите гостя.</translation>
    </message>
    <message>
        <source>mobile</source>
        <translation>мобильный</translation>
    </message>
    <message>
        <source>home</source>
        <translation>домашний</translation>
    </message>
    <message>
        <source>work</source>
        <translation>рабочий</translation>
    </message>
    <message>
        <source>other</source>
        <translation>другой</translation>
    </message>
    <message>
        <source>YYYY-MM-DD</source>
        <translation>ГГГГ-ММ-ДД</translation>
    </message>
    <message>
        <source>female</source>
        <translation>женский</translation>
    </message>
    <message>
        <source>male</source>
        <translation>мужской</translation>
    </message>
    <message>
        <source>May sign in to the cabinet</source>
        <translation>Может входить в личный кабинет</translation>
    </message>
    <message>
        <source>May order from the cabinet</source>
        <translation>Может заказывать из личного кабинета</translation>
    </message>
    <message>
        <source>Registration skipped</source>
        <translation>Регистрация пропущена</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Сохранить</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Имя</translation>
    </message>
    <message>
        <source>Birthday</source>
        <translation>День рождения</translation>
    </message>
    <message>
        <source>Sex</source>
        <translation>Пол</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Заметка</translation>
    </message>
    <message>
        <source>Group</source>
        <translation>Группа</translation>
    </message>
    <message>
        <source>set by hand</source>
        <translation>задана вручную</translation>
    </message>
    <message>
        <source>Nothing changed.</source>
        <translation>Ничего не изменилось.</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>Сохранено.</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Тип</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Вид</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Значение</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>Добавить</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Удалить</translation>
    </message>
    <message>
        <source>phone</source>
        <translation>телефон</translation>
    </message>
    <message>
        <source>e-mail</source>
        <translation>e-mail</translation>
    </message>
    <message>
        <source>SMS go to: %1</source>
        <translation>SMS на номер: %1</translation>
    </message>
    <message>
        <source>Medium</source>
        <translation>Носитель</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>Способ ввода</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Состояние</translation>
    </message>
    <message>
        <source>card</source>
        <translation>карта</translation>
    </message>
    <message>
        <source>guest app</source>
        <translation>приложение Guest</translation>
    </message>
    <message>
        <source>white-label app</source>
        <translation>приложение White Label</translation>
    </message>
    <message>
        <source>magnetic stripe</source>
        <translation>магнитная полоса</translation>
    </message>
    <message>
        <source>barcode</source>
        <translation>штрихкод</translation>
    </message>
    <message>
        <source>manual</source>
        <translation>вручную</translation>
    </message>
    <message>
        <source>swipe, scan or type</source>
        <translation>проведите, отсканируйте или введите</translation>
    </message>
    <message>
        <source>why (to block or replace)</source>
        <translation>причина (для блокировки или замены)</translation>
    </message>
    <message>
        <source>Block selected</source>
        <translation>Заблокировать выбранный</translation>
    </message>
    <message>
        <source>Replace selected (lost)</source>
        <translation>Заменить выбранный (утерян)</translation>
    </message>
    <message>
        <source>blocked</source>
        <translation>заблокирован</translation>
    </message>
    <message>
        <source>active</source>
        <translation>действует</translation>
    </message>
    <message>
        <source>Card added.</source>
        <translation>Карта добавлена.</translation>
    </message>
    <message>
        <source>Choose a card in the list first.</source>
        <translation>Сначала выберите карту в списке.</translation>
    </message>
    <message>
        <source>Card blocked.</source>
        <translation>Карта заблокирована.</translation>
    </message>
    <message>
        <source>The lost card is blocked, the new one bound.</source>
        <translation>Утерянная карта заблокирована, новая привязана.</translation>
    </message>
    <message>
        <source>points</source>
        <translation>баллы</translation>
    </message>
    <message>
        <source>money</source>
        <translation>деньги</translation>
    </message>
    <message>
        <source>credit</source>
        <translation>зачислить</translation>
    </message>
    <message>
        <source>debit</source>
        <translation>списать</translation>
    </message>
    <message>
        <source>amount</source>
        <translation>сумма</translation>
    </message>
    <message>
        <source>why</source>
        <translation>причина</translation>
    </message>
    <message>
        <source>Post</source>
        <translation>Провести</translation>
    </message>
    <message>
        <source>the group's</source>
        <translation>как у группы</translation>
    </message>
    <message>
        <source>Save bonus settings</source>
        <translation>Сохранить бонусные настройки</translation>
    </message>
    <message>
        <source>Credit or debit</source>
        <translation>Зачислить или списать</translation>
    </message>
    <message>
        <source>Points accrued, %</source>
        <translation>Начисление баллов, %</translation>
    </message>
    <message>
        <source>Max paid with points, %</source>
        <translation>Макс. оплата баллами, %</translation>
    </message>
    <message>
        <source>Points: %1 total, %2 held, %3 available. Money: %4.</source>
        <translation>Баллы: всего %1, в холде %2, доступно %3; деньги: %4.</translation>
    </message>
    <message>
        <source>Open holds: the server cannot be asked.</source>
        <translation>Холды: сервер недоступен, узнать нельзя.</translation>
    </message>
    <message>
        <source>%1 since %2 (%3)</source>
        <translation>%1 с %2 (%3)</translation>
    </message>
    <message>
        <source>Open holds: %1</source>
        <translation>Открытые холды: %1</translation>
    </message>
    <message>
        <source>No open holds.</source>
        <translation>Открытых холдов нет.</translation>
    </message>
    <message>
        <source>(as of %1)</source>
        <translation>(на %1)</translation>
    </message>
    <message>
        <source>Type an amount, e.g. 150 or 99,50.</source>
        <translation>Введите сумму, например 150 или 99,50.</translation>
    </message>
    <message>
        <source>Posted; the balance changes when the server has it.</source>
        <translation>Проведено; баланс изменится, когда операцию получит сервер.</translation>
    </message>
    <message>
        <source>Type a percentage from 0 to 100, e.g. 10 or 2,5.</source>
        <translation>Введите процент от 0 до 100, например 10 или 2,5.</translation>
    </message>
    <message>
        <source>points and money</source>
        <translation>баллы и деньги</translation>
    </message>
    <message>
        <source>sales</source>
        <translation>продажи</translation>
    </message>
    <message>
        <source>Older</source>
        <translation>Раньше</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>Закрыт</translation>
    </message>
    <message>
        <source>Receipt</source>
        <translation>Чек</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>Сумма</translation>
    </message>
    <message>
        <source>Discount</source>
        <translation>Скидка</translation>
    </message>
    <message>
        <source>Points earned</source>
        <translation>Начислено баллов</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Когда</translation>
    </message>
    <message>
        <source>Operation</source>
        <translation>Операция</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>Сумма</translation>
    </message>
    <message>
        <source>Balance after</source>
        <translation>Остаток после</translation>
    </message>
    <message>
        <source>Who / where</source>
        <translation>Кто / где</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>Причина</translation>
    </message>
    <message>
        <source>Offline: as of %1</source>
        <translation>Без сервера: на %1</translation>
    </message>
    <message>
        <source>credit</source>
        <comment>a posting</comment>
        <translation>зачисление</translation>
    </message>
    <message>
        <source>debit</source>
        <comment>a posting</comment>
        <translation>списание</translation>
    </message>
    <message>
        <source>hold</source>
        <translation>холд</translation>
    </message>
    <message>
        <source>paid with held points</source>
        <translation>оплата баллами из холда</translation>
    </message>
    <message>
        <source>hold released</source>
        <translation>холд снят</translation>
    </message>
    <message>
        <source>hold expired</source>
        <translation>холд истёк</translation>
    </message>
    <message>
        <source>accrual</source>
        <translation>начисление за покупку</translation>
    </message>
    <message>
        <source>adjustment</source>
        <translation>корректировка</translation>
    </message>
    <message>
        <source>debt</source>
        <translation>долг</translation>
    </message>
    <message>
        <source>%1 went back to the card.</source>
        <translation>%1 возвращено на карту.</translation>
    </message>
    <message>
        <source>Change: %1.</source>
        <translation>Сдача: %1.</translation>
    </message>
    <message>
        <source>Choose the top-up to give back.</source>
        <translation>Выберите пополнение для возврата.</translation>
    </message>
    <message>
        <source>Deposit</source>
        <translation>Депозит</translation>
    </message>
    <message>
        <source>Give back %1 in cash.</source>
        <translation>Выдайте %1 наличными.</translation>
    </message>
    <message>
        <source>No printer: the slip was not printed.</source>
        <translation>Нет принтера: чек не напечатан.</translation>
    </message>
    <message>
        <source>Refund top-up</source>
        <translation>Вернуть пополнение</translation>
    </message>
    <message>
        <source>The slip is printing.</source>
        <translation>Чек печатается.</translation>
    </message>
    <message>
        <source>Top up</source>
        <translation>Пополнить</translation>
    </message>
    <message>
        <source>Topped up %1 (%2); the deposit is %3.</source>
        <translation>Пополнено на %1 (%2); на депозите %3.</translation>
    </message>
    <message>
        <source>cash</source>
        <translation>наличные</translation>
    </message>
    <message>
        <source>handed over</source>
        <translation>получено</translation>
    </message>
    <message>
        <source>Cabinet</source>
        <translation>Кабинет</translation>
    </message>
    <message>
        <source>The cabinet's login and password are kept on the server, and this till is not connected to one.</source>
        <translation>Логин и пароль кабинета хранятся на сервере, а эта касса к нему не подключена.</translation>
    </message>
    <message>
        <source>The cabinet's login and password are kept on the server, which did not answer: nothing was set. Try again when the till is online.</source>
        <translation>Логин и пароль кабинета хранятся на сервере, а он не ответил: ничего не изменено. Повторите, когда касса будет в сети.</translation>
    </message>
    <message>
        <source>This login is taken: choose another.</source>
        <translation>Этот логин уже занят: выберите другой.</translation>
    </message>
    <message>
        <source>The server does not know this guest yet: try again once the till has synced.</source>
        <translation>Сервер ещё не знает этого гостя: повторите после синхронизации кассы.</translation>
    </message>
    <message>
        <source>A login has 3 to 64 letters, digits, dots, dashes or underscores.</source>
        <translation>В логине от 3 до 64 символов: буквы, цифры, точки, дефисы или подчёркивания.</translation>
    </message>
    <message>
        <source>A password is 8 to 128 characters, with no spaces at its ends.</source>
        <translation>В пароле от 8 до 128 символов, без пробелов в начале и в конце.</translation>
    </message>
    <message>
        <source>You may not change this guest's cabinet access.</source>
        <translation>Вам нельзя менять доступ этого гостя в кабинет.</translation>
    </message>
    <message>
        <source>Random password</source>
        <translation>Случайный пароль</translation>
    </message>
    <message>
        <source>Send now by SMS</source>
        <translation>Отправить сейчас по SMS</translation>
    </message>
    <message>
        <source>The card has no mobile phone: tell the guest the login and password.</source>
        <translation>В карточке нет мобильного телефона: сообщите гостю логин и пароль.</translation>
    </message>
    <message>
        <source>Set login and password</source>
        <translation>Задать логин и пароль</translation>
    </message>
    <message>
        <source>Login</source>
        <translation>Логин</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Пароль</translation>
    </message>
    <message>
        <source>Send now by SMS to %1</source>
        <translation>Отправить сейчас по SMS на %1</translation>
    </message>
    <message>
        <source>Asking the server…</source>
        <translation>Спрашиваем сервер…</translation>
    </message>
    <message>
        <source>Cabinet login: %1 (the password is never shown).</source>
        <translation>Логин кабинета: %1 (пароль никогда не показывается).</translation>
    </message>
    <message>
        <source>No cabinet login yet.</source>
        <translation>Логина для кабинета пока нет.</translation>
    </message>
    <message>
        <source>Type a login, and a password or choose a random one.</source>
        <translation>Введите логин, а также пароль или выберите случайный.</translation>
    </message>
    <message>
        <source>Sending to the server…</source>
        <translation>Отправляем на сервер…</translation>
    </message>
    <message>
        <source>The login and password were sent by SMS.</source>
        <translation>Логин и пароль отправлены по SMS.</translation>
    </message>
    <message>
        <source>Login %1 is set. Tell the guest the password: %2 (shown only now).</source>
        <translation>Логин %1 задан. Сообщите гостю пароль: %2 (показан только сейчас).</translation>
    </message>
    <message>
        <source>Login %1 and its password are set.</source>
        <translation>Логин %1 и пароль заданы.</translation>
    </message>
</context>
<context>
    <name>GuestPanel</name>
    <message>
        <source>%1 owed</source>
        <translation>долг %1</translation>
    </message>
    <message>
        <source>Swipe a card, scan a QR code or press F4 to find a guest</source>
        <translation>Проведите карту, отсканируйте QR-код или нажмите F4, чтобы найти гостя</translation>
    </message>
    <message>
        <source>Group</source>
        <translation>Группа</translation>
    </message>
    <message>
        <source>Points</source>
        <translation>Баллы</translation>
    </message>
    <message>
        <source>Balance</source>
        <translation>Депозит</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>Сегодня</translation>
    </message>
    <message>
        <source>No guest</source>
        <translation>Гость не выбран</translation>
    </message>
    <message>
        <source>no group, no discount</source>
        <translation>без группы, без скидки</translation>
    </message>
    <message>
        <source>%1 — discount %2</source>
        <translation>%1 — скидка %2</translation>
    </message>
    <message>
        <source>%1 available</source>
        <translation>доступно %1</translation>
    </message>
    <message>
        <source>total %1 · held %2</source>
        <translation>всего %1 · в резерве %2</translation>
    </message>
    <message>
        <source>none</source>
        <translation>нет</translation>
    </message>
    <message>
        <source>visits: %1</source>
        <translation>визитов: %1</translation>
    </message>
    <message>
        <source>visits: %1 of %2</source>
        <translation>визитов: %1 из %2</translation>
    </message>
    <message>
        <source>points left to spend: %1</source>
        <translation>можно списать ещё %1</translation>
    </message>
    <message>
        <source>Less ▴</source>
        <translation>Свернуть ▴</translation>
    </message>
    <message>
        <source>Card (Ctrl+G)</source>
        <translation>Карточка (Ctrl+G)</translation>
    </message>
    <message>
        <source>More ▾</source>
        <translation>Подробнее ▾</translation>
    </message>
    <message>
        <source>discount %1</source>
        <translation>скидка %1</translation>
    </message>
    <message>
        <source>no discount</source>
        <translation>без скидки</translation>
    </message>
    <message>
        <source>balance %1</source>
        <translation>депозит %1</translation>
    </message>
    <message>
        <source>today up to %1 in points</source>
        <translation>сегодня баллами до %1</translation>
    </message>
</context>
<context>
    <name>LoyaltyActions</name>
    <message>
        <source>This order: points accrued %1, at most %2 paid with points.</source>
        <translation>Этот чек: начисление %1, оплата баллами не более %2.</translation>
    </message>
    <message>
        <source>Back to the usual: points accrued %1, at most %2 paid with points.</source>
        <translation>Снова как обычно: начисление %1, оплата баллами не более %2.</translation>
    </message>
    <message>
        <source>Identify the guest first.</source>
        <translation>Сначала определите гостя.</translation>
    </message>
    <message>
        <source>Release every open points hold of %1 on the server. Why?</source>
        <translation>Снять на сервере все открытые резервы баллов гостя %1. Причина?</translation>
    </message>
    <message>
        <source>Reset holds</source>
        <translation>Сброс резервов</translation>
    </message>
    <message>
        <source>Manager's approval</source>
        <translation>Подтверждение менеджера</translation>
    </message>
    <message>
        <source>A manager's PIN releases the holds of %1:</source>
        <translation>PIN менеджера снимает резервы гостя %1:</translation>
    </message>
    <message>
        <source>The guest's holds released on the server: %1 (approved by %2).</source>
        <translation>Резервов гостя снято на сервере: %1 (подтвердил(а) %2).</translation>
    </message>
    <message>
        <source>The guest had no open holds on the server; nothing to release.</source>
        <translation>У гостя нет открытых резервов на сервере — снимать нечего.</translation>
    </message>
    <message>
        <source>The server cannot be reached, so no holds were released. Try again online.</source>
        <translation>Сервер недоступен, резервы не сняты. Повторите, когда касса будет онлайн.</translation>
    </message>
    <message>
        <source>The server did not accept this manager's PIN or role; nothing was released.</source>
        <translation>Сервер не принял PIN или роль менеджера; ничего не снято.</translation>
    </message>
    <message>
        <source>The server refused: %1</source>
        <translation>Сервер отказал: %1</translation>
    </message>
    <message>
        <source>This till is not enrolled with a server; it cannot release holds.</source>
        <translation>Касса не подключена к серверу и не может снять резервы.</translation>
    </message>
    <message>
        <source>This manager's PIN is shorter than 6 digits, which the server does not accept; ask the admin for a new PIN. Nothing was released.</source>
        <translation>PIN этого менеджера короче 6 цифр, а сервер такие не принимает; попросите администратора выдать новый PIN. Резервы не сняты.</translation>
    </message>
    <message>
        <source>Say why the holds are reset (a few words for the audit).</source>
        <translation>Укажите причину сброса резервов (несколько слов для журнала).</translation>
    </message>
</context>
<context>
    <name>ManagerActions</name>
    <message>
        <source>Order discount</source>
        <translation>Скидка на чек</translation>
    </message>
    <message>
        <source>Discount on the whole order, % (0 removes it):</source>
        <translation>Скидка на весь чек, % (0 — убрать):</translation>
    </message>
    <message>
        <source>Discount on %1, % of its price (0 restores it):</source>
        <translation>Скидка на «%1», % от цены (0 — вернуть цену):</translation>
    </message>
    <message>
        <source>Line discount</source>
        <translation>Скидка на позицию</translation>
    </message>
    <message>
        <source>New price of %1 (now %2):</source>
        <translation>Новая цена «%1» (сейчас %2):</translation>
    </message>
    <message>
        <source>Change the price</source>
        <translation>Изменить цену</translation>
    </message>
    <message>
        <source>Type the price in roubles, e.g. 150 or 149,90.</source>
        <translation>Введите цену в рублях, например 150 или 149,90.</translation>
    </message>
    <message>
        <source>Receipt %1 refunded.</source>
        <translation>Возврат по чеку %1 выполнен.</translation>
    </message>
    <message>
        <source>Hand back %1 in cash.</source>
        <translation>Выдайте %1 наличными.</translation>
    </message>
    <message>
        <source>%1 returned to the card.</source>
        <translation>%1 возвращено на карту.</translation>
    </message>
    <message>
        <source>%1 back to the guest's balance.</source>
        <translation>%1 возвращено на баланс гостя.</translation>
    </message>
    <message>
        <source>%1 back to the guest's points.</source>
        <translation>%1 возвращено баллами гостю.</translation>
    </message>
    <message>
        <source>Manager's approval</source>
        <translation>Разрешение менеджера</translation>
    </message>
    <message>
        <source>%1 may not do this alone. A manager's PIN allows it:</source>
        <translation>%1 не может сделать это сам(а). Разрешите ПИН-кодом менеджера:</translation>
    </message>
    <message>
        <source>Add something to the basket first.</source>
        <translation>Сначала добавьте товар в корзину.</translation>
    </message>
    <message>
        <source>Select a line in the basket first.</source>
        <translation>Сначала выберите позицию в корзине.</translation>
    </message>
    <message>
        <source>Receipt %1 refunded in part.</source>
        <translation>По чеку %1 сделан частичный возврат.</translation>
    </message>
    <message>
        <source>The refund receipt did not print: %1</source>
        <translation>Чек возврата не напечатан: %1</translation>
    </message>
</context>
<context>
    <name>NewGuestDialog</name>
    <message>
        <source>New guest</source>
        <translation>Новый гость</translation>
    </message>
    <message>
        <source>No guest has the card %1. Create a guest and bind this card?</source>
        <translation>Карта %1 не принадлежит ни одному гостю. Создать гостя и привязать к нему эту карту?</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Имя</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Телефон</translation>
    </message>
    <message>
        <source>Create and bind the card</source>
        <translation>Создать и привязать карту</translation>
    </message>
    <message>
        <source>%1 already has this phone: find that guest instead.</source>
        <translation>Этот телефон уже есть у гостя %1: найдите этого гостя.</translation>
    </message>
    <message>
        <source>Card</source>
        <translation>Карта</translation>
    </message>
    <message>
        <source>Checking the phone…</source>
        <translation>Проверяем телефон…</translation>
    </message>
    <message>
        <source>Create the guest</source>
        <translation>Создать гостя</translation>
    </message>
    <message>
        <source>Name, and a phone or a card: swipe or scan it, or type it.</source>
        <translation>Имя и телефон или карта: проведите, отсканируйте или введите её номер.</translation>
    </message>
    <message>
        <source>No guest has this phone (checked on the server).</source>
        <translation>Этого телефона нет ни у одного гостя (проверено на сервере).</translation>
    </message>
    <message>
        <source>No guest of this till has this phone; the server cannot be asked now.</source>
        <translation>Ни у одного гостя этой кассы нет такого телефона; сервер сейчас недоступен.</translation>
    </message>
    <message>
        <source>This is not a phone number.</source>
        <translation>Это не номер телефона.</translation>
    </message>
</context>
<context>
    <name>OrdersTabs</name>
    <message>
        <source>Sale</source>
        <translation>Продажа</translation>
    </message>
    <message>
        <source>Guest orders come from the server, and this till is not enrolled with one yet. Enrol it (pos-app till --server URL --enrol-code CODE) to see them here.</source>
        <translation>Заказы гостей приходят с сервера, а эта касса ещё не подключена к нему. Подключите её (pos-app till --server URL --enrol-code КОД), чтобы видеть заказы здесь.</translation>
    </message>
    <message>
        <source>Guest orders cannot be shown: %1</source>
        <translation>Заказы гостей не удаётся показать: %1</translation>
    </message>
    <message>
        <source>Orders</source>
        <translation>Заказы</translation>
    </message>
    <message>
        <source>Orders (%1)</source>
        <translation>Заказы (%1)</translation>
    </message>
</context>
<context>
    <name>PaymentDialog</name>
    <message>
        <source>Payment</source>
        <translation>Оплата</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Назад</translation>
    </message>
    <message>
        <source>Due</source>
        <translation>К оплате</translation>
    </message>
    <message>
        <source>Cash</source>
        <translation>Наличные</translation>
    </message>
    <message>
        <source>Bank card</source>
        <translation>Банковская карта</translation>
    </message>
    <message>
        <source>Balance</source>
        <translation>Депозит</translation>
    </message>
    <message>
        <source>Points</source>
        <translation>Баллы</translation>
    </message>
    <message>
        <source>Cash received</source>
        <translation>Получено наличными</translation>
    </message>
    <message>
        <source>Take cash</source>
        <translation>Принять наличные</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>Сумма</translation>
    </message>
    <message>
        <source>Pay by card</source>
        <translation>Оплатить картой</translation>
    </message>
    <message>
        <source>Pay</source>
        <translation>Оплатить</translation>
    </message>
    <message>
        <source>Type the amount</source>
        <translation>Введите сумму</translation>
    </message>
    <message>
        <source>More than is due</source>
        <translation>Больше, чем к оплате</translation>
    </message>
    <message>
        <source>Only %1 on the balance</source>
        <translation>На депозите только %1</translation>
    </message>
    <message>
        <source>At most %1 in points (%2 of the order)</source>
        <translation>Баллами не больше %1 (%2 от заказа)</translation>
    </message>
    <message>
        <source>Change %1</source>
        <translation>Сдача %1</translation>
    </message>
    <message>
        <source>Left to pay after this: %1</source>
        <translation>Останется доплатить: %1</translation>
    </message>
    <message>
        <source>Points: up to %1 (this till has no server; its own limit).</source>
        <translation>Баллами: до %1 (касса без сервера; её собственный лимит).</translation>
    </message>
    <message>
        <source>Points: up to %1 now, confirmed by the server; up to %2 if the server cannot be reached.</source>
        <translation>Баллами: до %1 сейчас, с подтверждением сервера; до %2, если сервер недоступен.</translation>
    </message>
    <message>
        <source>The server cannot be reached: points up to %1 now (the till's own limit; up to %2 with the server).</source>
        <translation>Сервер недоступен: баллами сейчас до %1 (лимит кассы; с сервером — до %2).</translation>
    </message>
    <message>
        <source>Without the server at most %1 in points</source>
        <translation>Без сервера баллами не более %1</translation>
    </message>
</context>
<context>
    <name>Reconciliation</name>
    <message>
        <source>resolved</source>
        <translation>решено</translation>
    </message>
    <message>
        <source>open</source>
        <translation>не решено</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Когда</translation>
    </message>
    <message>
        <source>Operation</source>
        <translation>Операция</translation>
    </message>
    <message>
        <source>About</source>
        <translation>О чём</translation>
    </message>
    <message>
        <source>Server's answer</source>
        <translation>Ответ сервера</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Статус</translation>
    </message>
    <message>
        <source>Sync problems</source>
        <translation>Проблемы синхронизации</translation>
    </message>
    <message>
        <source>The server did not accept these operations as the till sent them. They are not sent again: check each one, put it right by hand if needed, then mark it resolved.</source>
        <translation>Сервер не принял эти операции в том виде, в каком их отправила касса. Повторно они не отправляются: проверьте каждую, при необходимости исправьте вручную и отметьте как решённую.</translation>
    </message>
    <message>
        <source>Show resolved too</source>
        <translation>Показать и решённые</translation>
    </message>
    <message>
        <source>Mark resolved</source>
        <translation>Отметить решённой</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Закрыть</translation>
    </message>
    <message>
        <source>Nothing to look at: every operation was accepted.</source>
        <translation>Проверять нечего: все операции приняты.</translation>
    </message>
    <message>
        <source>Operation no. %1 (%2): %3</source>
        <translation>Операция № %1 (%2): %3</translation>
    </message>
    <message>
        <source>Sale</source>
        <translation>Продажа</translation>
    </message>
    <message>
        <source>Cancelled sale</source>
        <translation>Отменённая продажа</translation>
    </message>
    <message>
        <source>Refund</source>
        <translation>Возврат</translation>
    </message>
    <message>
        <source>New guest</source>
        <translation>Новый гость</translation>
    </message>
    <message>
        <source>Card given to a guest</source>
        <translation>Карта выдана гостю</translation>
    </message>
    <message>
        <source>Points hold</source>
        <translation>Резерв баллов</translation>
    </message>
    <message>
        <source>Points spent</source>
        <translation>Списание баллов</translation>
    </message>
    <message>
        <source>Points hold released</source>
        <translation>Снятие резерва баллов</translation>
    </message>
    <message>
        <source>Promo code issued</source>
        <translation>Выдан промокод</translation>
    </message>
    <message>
        <source>Promo code used</source>
        <translation>Применён промокод</translation>
    </message>
    <message>
        <source>Shift opened</source>
        <translation>Открытие смены</translation>
    </message>
    <message>
        <source>Shift closed</source>
        <translation>Закрытие смены</translation>
    </message>
    <message>
        <source>Guest order</source>
        <translation>Заказ гостя</translation>
    </message>
    <message>
        <source>The server does not know this guest.</source>
        <translation>Сервер не знает этого гостя.</translation>
    </message>
    <message>
        <source>The amounts do not add up.</source>
        <translation>Суммы не сходятся.</translation>
    </message>
    <message>
        <source>The guest did not have the points.</source>
        <translation>У гостя не хватило баллов.</translation>
    </message>
    <message>
        <source>Over the guest's daily limit.</source>
        <translation>Превышен дневной лимит гостя.</translation>
    </message>
    <message>
        <source>The guest already exists; the server's details were taken.</source>
        <translation>Гость уже есть; взяты данные с сервера.</translation>
    </message>
    <message>
        <source>The phone already has a promo code; the server's code was taken.</source>
        <translation>У телефона уже есть промокод; взят код с сервера.</translation>
    </message>
    <message>
        <source>The promo code belongs to another guest.</source>
        <translation>Промокод принадлежит другому гостю.</translation>
    </message>
    <message>
        <source>The server does not know the code.</source>
        <translation>Сервер не знает этот код.</translation>
    </message>
    <message>
        <source>A guest used their own promo code.</source>
        <translation>Гость применил собственный промокод.</translation>
    </message>
    <message>
        <source>The cashback was already paid.</source>
        <translation>Кешбэк уже начислен.</translation>
    </message>
    <message>
        <source>The sale is not on the server.</source>
        <translation>Этой продажи нет на сервере.</translation>
    </message>
    <message>
        <source>The sale was already refunded.</source>
        <translation>По этой продаже уже был возврат.</translation>
    </message>
    <message>
        <source>The sale was already recorded.</source>
        <translation>Продажа уже записана.</translation>
    </message>
    <message>
        <source>The shift was already opened.</source>
        <translation>Смена уже открыта.</translation>
    </message>
    <message>
        <source>The shift is already closed.</source>
        <translation>Смена уже закрыта.</translation>
    </message>
    <message>
        <source>The server does not know this shift.</source>
        <translation>Сервер не знает этой смены.</translation>
    </message>
    <message>
        <source>The server does not know this hold.</source>
        <translation>Сервер не знает этого резерва.</translation>
    </message>
    <message>
        <source>The hold already exists.</source>
        <translation>Резерв уже существует.</translation>
    </message>
    <message>
        <source>The points paid differ from the hold.</source>
        <translation>Оплата баллами не совпадает с резервом.</translation>
    </message>
    <message>
        <source>This payment needs a guest.</source>
        <translation>Для этой оплаты нужен гость.</translation>
    </message>
    <message>
        <source>The server does not know this order.</source>
        <translation>Сервер не знает этого заказа.</translation>
    </message>
    <message>
        <source>The server does not know this operation.</source>
        <translation>Сервер не знает такой операции.</translation>
    </message>
    <message>
        <source>Receipt %1, %2</source>
        <translation>Чек %1, %2</translation>
    </message>
    <message>
        <source>A basket of %1</source>
        <translation>Корзина на %1</translation>
    </message>
    <message>
        <source>Receipt %1, %2 back</source>
        <translation>Чек %1, возврат %2</translation>
    </message>
    <message>
        <source>Card %1</source>
        <translation>Карта %1</translation>
    </message>
    <message>
        <source>Hold %1</source>
        <translation>Резерв %1</translation>
    </message>
    <message>
        <source>%1 in points</source>
        <translation>%1 баллами</translation>
    </message>
    <message>
        <source>Code %1, cashback %2</source>
        <translation>Код %1, кешбэк %2</translation>
    </message>
    <message>
        <source>Shift no. %1</source>
        <translation>Смена № %1</translation>
    </message>
    <message>
        <source>Order %1</source>
        <translation>Заказ %1</translation>
    </message>
</context>
<context>
    <name>RefundDialog</name>
    <message>
        <source>Refund</source>
        <translation>Возврат</translation>
    </message>
    <message>
        <source>Type the receipt's number (or just its last digits), scan the QR on the receipt, or pick it from today's list.</source>
        <translation>Введите номер чека (или только последние цифры), отсканируйте QR-код с чека или выберите чек из сегодняшних.</translation>
    </message>
    <message>
        <source>Receipt number</source>
        <translation>Номер чека</translation>
    </message>
    <message>
        <source>Find</source>
        <translation>Найти</translation>
    </message>
    <message>
        <source>Receipt</source>
        <translation>Чек</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Время</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>Сумма</translation>
    </message>
    <message>
        <source>Refunded</source>
        <translation>Возвращено</translation>
    </message>
    <message>
        <source>No receipt chosen yet.</source>
        <translation>Чек ещё не выбран.</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>Товар</translation>
    </message>
    <message>
        <source>Sold</source>
        <translation>Продано</translation>
    </message>
    <message>
        <source>Paid</source>
        <translation>Оплачено</translation>
    </message>
    <message>
        <source>Give back</source>
        <translation>Вернуть</translation>
    </message>
    <message>
        <source>Reason (optional)</source>
        <translation>Причина (необязательно)</translation>
    </message>
    <message>
        <source>Everything left</source>
        <translation>Всё оставшееся</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Закрыть</translation>
    </message>
    <message>
        <source>Receipt %1 of %2, %3</source>
        <translation>Чек %1 от %2, %3</translation>
    </message>
    <message>
        <source>refunded so far: %1</source>
        <translation>уже возвращено: %1</translation>
    </message>
    <message>
        <source>This receipt was already refunded in full.</source>
        <translation>По этому чеку уже сделан полный возврат.</translation>
    </message>
    <message>
        <source>To give back: %1</source>
        <translation>К возврату: %1</translation>
    </message>
</context>
<context>
    <name>ShiftDialog</name>
    <message>
        <source>Shift</source>
        <translation>Смена</translation>
    </message>
    <message>
        <source>Manager's PIN</source>
        <translation>ПИН-код менеджера</translation>
    </message>
    <message>
        <source>Open shift</source>
        <translation>Открыть смену</translation>
    </message>
    <message>
        <source>X report</source>
        <translation>X-отчёт</translation>
    </message>
    <message>
        <source>Close shift (Z report)</source>
        <translation>Закрыть смену (Z-отчёт)</translation>
    </message>
    <message>
        <source>Print</source>
        <translation>Печать</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Готово</translation>
    </message>
    <message>
        <source>No shift is open. Count the cash in the drawer.</source>
        <translation>Смена не открыта. Пересчитайте наличные в кассе.</translation>
    </message>
    <message>
        <source>Cash in the drawer</source>
        <translation>Наличные в кассе</translation>
    </message>
    <message>
        <source>Cash counted (to close the shift)</source>
        <translation>Пересчитано наличных (для закрытия смены)</translation>
    </message>
    <message>
        <source>Why the cash differs (required)</source>
        <translation>Почему сумма не сходится (обязательно)</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>Сумма</translation>
    </message>
    <message>
        <source>Reason, e.g. change or to the bank</source>
        <translation>Основание, например размен или инкассация</translation>
    </message>
    <message>
        <source>Cash in</source>
        <translation>Внесение</translation>
    </message>
    <message>
        <source>Cash out</source>
        <translation>Изъятие</translation>
    </message>
    <message>
        <source>Shift %1 is open since %2.</source>
        <translation>Смена %1 открыта с %2.</translation>
    </message>
    <message>
        <source>Cash in: %1</source>
        <translation>Внесено: %1</translation>
    </message>
    <message>
        <source>Cash out: %1</source>
        <translation>Изъято: %1</translation>
    </message>
    <message>
        <source>Confirm and close (Z report)</source>
        <translation>Подтвердить и закрыть (Z-отчёт)</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <source>Sign in</source>
        <translation>Вход</translation>
    </message>
    <message>
        <source>Enter your PIN</source>
        <translation>Введите ПИН-код</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>ОК</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>Проверяем…</translation>
    </message>
</context>
<context>
    <name>SyncStatus</name>
    <message>
        <source>under a minute</source>
        <translation>меньше минуты</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 мин</translation>
    </message>
    <message>
        <source>%1 h</source>
        <translation>%1 ч</translation>
    </message>
    <message>
        <source>offline — the server's address is plain http://; use https:// (or start the till with --insecure)</source>
        <translation>офлайн — сервер указан по незащищённому http://; нужен https:// (или запуск кассы с --insecure)</translation>
    </message>
    <message>
        <source>online</source>
        <translation>онлайн</translation>
    </message>
    <message>
        <source>offline since %1</source>
        <translation>офлайн с %1</translation>
    </message>
    <message>
        <source>offline</source>
        <translation>офлайн</translation>
    </message>
    <message>
        <source>sending stopped: %1</source>
        <translation>отправка остановлена: %1</translation>
    </message>
    <message>
        <source>another window sends</source>
        <translation>отправляет другое окно</translation>
    </message>
    <message>
        <source>waiting to send: %1</source>
        <translation>ждут отправки: %1</translation>
    </message>
    <message>
        <source>(oldest %1)</source>
        <translation>(старейшей %1)</translation>
    </message>
    <message>
        <source>nothing waiting</source>
        <translation>очередь пуста</translation>
    </message>
    <message>
        <source>last sync %1</source>
        <translation>синхронизация %1</translation>
    </message>
    <message>
        <source>sync problems: %1 (F5)</source>
        <translation>проблемы синхронизации: %1 (F5)</translation>
    </message>
    <message>
        <source>not enrolled with a server — sales stay on this till</source>
        <translation>касса не подключена к серверу, продажи хранятся на ней</translation>
    </message>
    <message>
        <source>OFFLINE — the server's address is not https://</source>
        <translation>ОФЛАЙН — адрес сервера не https://</translation>
    </message>
    <message>
        <source>NOT ENROLLED WITH A SERVER</source>
        <translation>КАССА НЕ ПОДКЛЮЧЕНА К СЕРВЕРУ</translation>
    </message>
    <message>
        <source>SENDING STOPPED</source>
        <translation>ОТПРАВКА ОСТАНОВЛЕНА</translation>
    </message>
    <message>
        <source>OFFLINE since %1</source>
        <translation>ОФЛАЙН с %1</translation>
    </message>
    <message>
        <source>not sent: %1</source>
        <translation>не отправлено: %1</translation>
    </message>
</context>
<context>
    <name>TillController</name>
    <message>
        <source>This guest has no phone; swipe their card instead.</source>
        <translation>У гостя нет телефона — проведите его карту.</translation>
    </message>
</context>
<context>
    <name>TillWindow</name>
    <message>
        <source>Ctrl+K: a card for the buyer by phone.</source>
        <translation>Ctrl+K: карта покупателю по телефону.</translation>
    </message>
    <message>
        <source>The card was sent to the guest in Telegram.</source>
        <translation>Карта отправлена гостю в Telegram.</translation>
    </message>
    <message>
        <source>The guest can subscribe to the Telegram bot later: %1</source>
        <translation>Гость сможет подписаться на Telegram-бот позже: %1</translation>
    </message>
    <message>
        <source>Card %1 sent again to %2.</source>
        <translation>Карта %1 отправлена повторно: %2.</translation>
    </message>
    <message>
        <source>Card %1 issued to %2.</source>
        <translation>Карта %1 выдана: %2.</translation>
    </message>
    <message>
        <source>this till is not connected to a server.</source>
        <translation>эта касса не подключена к серверу.</translation>
    </message>
    <message>
        <source>the server did not answer.</source>
        <translation>сервер не ответил.</translation>
    </message>
    <message>
        <source>the guest is not on the server yet.</source>
        <translation>гость ещё не дошёл до сервера.</translation>
    </message>
    <message>
        <source>no Telegram bot is set up on the server.</source>
        <translation>на сервере не настроен Telegram-бот.</translation>
    </message>
    <message>
        <source>the server refused.</source>
        <translation>сервер отказал.</translation>
    </message>
    <message>
        <source>Till</source>
        <translation>Касса</translation>
    </message>
    <message>
        <source>offline — not enrolled with a server</source>
        <translation>офлайн — касса не подключена к серверу</translation>
    </message>
    <message>
        <source>Shift (F9)</source>
        <translation>Смена (F9)</translation>
    </message>
    <message>
        <source>Refund (F11)</source>
        <translation>Возврат (F11)</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>Выйти</translation>
    </message>
    <message>
        <source>Pay (F12)</source>
        <translation>Оплата (F12)</translation>
    </message>
    <message>
        <source>Find guest (F4)</source>
        <translation>Найти гостя (F4)</translation>
    </message>
    <message>
        <source>Cancel sale</source>
        <translation>Отменить чек</translation>
    </message>
    <message>
        <source>Promo code (F6)</source>
        <translation>Промокод (F6)</translation>
    </message>
    <message>
        <source>Discount (F7)</source>
        <translation>Скидка (F7)</translation>
    </message>
    <message>
        <source>Cashier: %1</source>
        <translation>Кассир: %1</translation>
    </message>
    <message>
        <source>Card not read — swipe again.</source>
        <translation>Карта не прочитана — проведите ещё раз.</translation>
    </message>
    <message>
        <source>Sale %1 closed.</source>
        <translation>Чек %1 закрыт.</translation>
    </message>
    <message>
        <source>Change: %1</source>
        <translation>Сдача: %1</translation>
    </message>
    <message>
        <source>Points to the guest: %1</source>
        <translation>Гостю начислится баллов: %1</translation>
    </message>
    <message>
        <source>%1 paid; %2 left to pay.</source>
        <translation>Оплачено %1; осталось %2.</translation>
    </message>
    <message>
        <source>Receipt printed</source>
        <translation>Чек напечатан</translation>
    </message>
    <message>
        <source>The receipt did not print: %1</source>
        <translation>Чек не напечатан: %1</translation>
    </message>
    <message>
        <source>Find guest</source>
        <translation>Найти гостя</translation>
    </message>
    <message>
        <source>Phone, card number, code or name:</source>
        <translation>Телефон, номер карты, код или имя:</translation>
    </message>
    <message>
        <source>No guest found.</source>
        <translation>Гость не найден.</translation>
    </message>
    <message>
        <source>Guest:</source>
        <translation>Гость:</translation>
    </message>
    <message>
        <source>Add something to the basket first.</source>
        <translation>Сначала добавьте товар в корзину.</translation>
    </message>
    <message>
        <source>Promo code</source>
        <translation>Промокод</translation>
    </message>
    <message>
        <source>The digits of the promo code:</source>
        <translation>Цифры промокода:</translation>
    </message>
    <message>
        <source>Promo code %1 of %2: %3 off, %4 to pay.</source>
        <translation>Промокод %1 (%2): скидка %3, к оплате %4.</translation>
    </message>
    <message>
        <source>Cancel this sale and empty the basket?</source>
        <translation>Отменить этот чек и очистить корзину?</translation>
    </message>
    <message>
        <source>Void the sale</source>
        <translation>Аннулировать чек</translation>
    </message>
    <message>
        <source>Money was already taken for this sale. A manager's PIN voids it and the money is handed back:</source>
        <translation>За этот чек уже приняты деньги. ПИН-код менеджера аннулирует его, деньги возвращаются гостю:</translation>
    </message>
    <message>
        <source>Shift %1 opened.</source>
        <translation>Смена %1 открыта.</translation>
    </message>
</context>
<context>
    <name>TotalsPanel</name>
    <message>
        <source>TO PAY</source>
        <translation>К ОПЛАТЕ</translation>
    </message>
    <message>
        <source>Items: %1</source>
        <translation>Позиций: %1</translation>
    </message>
    <message>
        <source>Subtotal %1</source>
        <translation>Сумма без скидки %1</translation>
    </message>
    <message>
        <source>Discount %1</source>
        <translation>Скидка %1</translation>
    </message>
    <message>
        <source>Total %1</source>
        <translation>Итого %1</translation>
    </message>
    <message>
        <source>Received %1</source>
        <translation>Получено %1</translation>
    </message>
    <message>
        <source>CHANGE</source>
        <translation>СДАЧА</translation>
    </message>
</context>
<context>
    <name>BonusSettingsDialog</name>
    <message>
        <source>Bonus settings of this order</source>
        <translation>Бонусные настройки этого чека</translation>
    </message>
    <message>
        <source>Now: points accrued %1, at most %2 of the order paid with points.</source>
        <translation>Сейчас: начисление баллов %1, баллами можно оплатить не более %2 чека.</translation>
    </message>
    <message>
        <source>(set by hand for this order)</source>
        <translation>(изменено вручную для этого чека)</translation>
    </message>
    <message>
        <source>as usual</source>
        <translation>как обычно</translation>
    </message>
    <message>
        <source>Empty: the guest's usual setting. A manager's PIN is asked if your role may not.</source>
        <translation>Пусто — обычная настройка гостя. Если вашей роли нельзя, спросим PIN менеджера.</translation>
    </message>
    <message>
        <source>Points accrued, %</source>
        <translation>Начисление баллов, %</translation>
    </message>
    <message>
        <source>Max paid with points, %</source>
        <translation>Оплата баллами не более, %</translation>
    </message>
    <message>
        <source>Type a percentage from 0 to 100, e.g. 10 or 2,5.</source>
        <translation>Введите процент от 0 до 100, например 10 или 2,5.</translation>
    </message>
</context>
<context>
    <name>LoyaltyActions</name>
    <message>
        <source>This order: points accrued %1, at most %2 paid with points.</source>
        <translation>Этот чек: начисление %1, оплата баллами не более %2.</translation>
    </message>
    <message>
        <source>Back to the usual: points accrued %1, at most %2 paid with points.</source>
        <translation>Снова как обычно: начисление %1, оплата баллами не более %2.</translation>
    </message>
    <message>
        <source>Identify the guest first.</source>
        <translation>Сначала определите гостя.</translation>
    </message>
    <message>
        <source>Release every open points hold of %1 on the server. Why?</source>
        <translation>Снять на сервере все открытые резервы баллов гостя %1. Причина?</translation>
    </message>
    <message>
        <source>Reset holds</source>
        <translation>Сброс резервов</translation>
    </message>
    <message>
        <source>Manager's approval</source>
        <translation>Подтверждение менеджера</translation>
    </message>
    <message>
        <source>A manager's PIN releases the holds of %1:</source>
        <translation>PIN менеджера снимает резервы гостя %1:</translation>
    </message>
    <message>
        <source>The guest's holds released on the server: %1 (approved by %2).</source>
        <translation>Резервов гостя снято на сервере: %1 (подтвердил(а) %2).</translation>
    </message>
    <message>
        <source>The guest had no open holds on the server; nothing to release.</source>
        <translation>У гостя нет открытых резервов на сервере — снимать нечего.</translation>
    </message>
    <message>
        <source>The server cannot be reached, so no holds were released. Try again online.</source>
        <translation>Сервер недоступен, резервы не сняты. Повторите, когда касса будет онлайн.</translation>
    </message>
    <message>
        <source>The server did not accept this manager's PIN or role; nothing was released.</source>
        <translation>Сервер не принял PIN или роль менеджера; ничего не снято.</translation>
    </message>
    <message>
        <source>The server refused: %1</source>
        <translation>Сервер отказал: %1</translation>
    </message>
    <message>
        <source>This till is not enrolled with a server; it cannot release holds.</source>
        <translation>Касса не подключена к серверу и не может снять резервы.</translation>
    </message>
    <message>
        <source>This manager's PIN is shorter than 6 digits, which the server does not accept; ask the admin for a new PIN. Nothing was released.</source>
        <translation>PIN этого менеджера короче 6 цифр, а сервер такие не принимает; попросите администратора выдать новый PIN. Резервы не сняты.</translation>
    </message>
    <message>
        <source>Say why the holds are reset (a few words for the audit).</source>
        <translation>Укажите причину сброса резервов (несколько слов для журнала).</translation>
    </message>
</context>
<context>
    <name>Format</name>
    <message>
        <source>%1 pts</source>
        <translation>%1 б.</translation>
    </message>
</context>
<context>
    <name>DialogScans</name>
    <message>
        <source>Scan ignored during payment.</source>
        <translation>Скан не учтён: идёт оплата.</translation>
    </message>
    <message>
        <source>Scan ignored: only a guest's card or a promo code is taken here.</source>
        <translation>Скан не учтён: здесь принимается только карта гостя или промокод.</translation>
    </message>
    <message>
        <source>Scan ignored while a window is open: close it, then scan again.</source>
        <translation>Скан не учтён, пока открыто окно: закройте его и отсканируйте снова.</translation>
    </message>
</context>
<context>
    <name>RefundDialog</name>
    <message>
        <source>Refund</source>
        <translation>Возврат</translation>
    </message>
    <message>
        <source>Type the receipt's number (or just its last digits), scan the QR on the receipt, or pick it from today's list.</source>
        <translation>Введите номер чека (или только последние цифры), отсканируйте QR-код с чека или выберите чек из сегодняшних.</translation>
    </message>
    <message>
        <source>Receipt number</source>
        <translation>Номер чека</translation>
    </message>
    <message>
        <source>Find</source>
        <translation>Найти</translation>
    </message>
    <message>
        <source>Receipt</source>
        <translation>Чек</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Время</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>Сумма</translation>
    </message>
    <message>
        <source>Refunded</source>
        <translation>Возвращено</translation>
    </message>
    <message>
        <source>No receipt chosen yet.</source>
        <translation>Чек ещё не выбран.</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>Товар</translation>
    </message>
    <message>
        <source>Sold</source>
        <translation>Продано</translation>
    </message>
    <message>
        <source>Paid</source>
        <translation>Оплачено</translation>
    </message>
    <message>
        <source>Give back</source>
        <translation>Вернуть</translation>
    </message>
    <message>
        <source>Reason (optional)</source>
        <translation>Причина (необязательно)</translation>
    </message>
    <message>
        <source>Everything left</source>
        <translation>Всё оставшееся</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Закрыть</translation>
    </message>
    <message>
        <source>Receipt %1 of %2, %3</source>
        <translation>Чек %1 от %2, %3</translation>
    </message>
    <message>
        <source>refunded so far: %1</source>
        <translation>уже возвращено: %1</translation>
    </message>
    <message>
        <source>This receipt was already refunded in full.</source>
        <translation>По этому чеку уже сделан полный возврат.</translation>
    </message>
    <message>
        <source>To give back: %1</source>
        <translation>К возврату: %1</translation>
    </message>
</context>
<context>
    <name>SaleLine</name>
    <message>
        <source>%1, %2 min</source>
        <translation>%1, %2 мин</translation>
    </message>
</context>
<context>
    <name>CustomerDisplay</name>
    <message>
        <source>Customer display</source>
        <translation>Экран покупателя</translation>
    </message>
    <message>
        <source>Scan to get your card in the messenger</source>
        <translation>Отсканируйте, чтобы получить карту в мессенджере</translation>
    </message>
    <message>
        <source>To pay</source>
        <translation>К оплате</translation>
    </message>
    <message>
        <source>Your discount: %1</source>
        <translation>Ваша скидка: %1</translation>
    </message>
    <message>
        <source>Welcome!</source>
        <translation>Добро пожаловать!</translation>
    </message>
    <message>
        <source>Hello, %1!
Your points: %2</source>
        <translation>Здравствуйте, %1!
Ваши баллы: %2</translation>
    </message>
    <message>
        <source>Your change</source>
        <translation>Ваша сдача</translation>
    </message>
    <message>
        <source>Paid</source>
        <translation>Оплачено</translation>
    </message>
    <message>
        <source>Thank you!</source>
        <translation>Спасибо за покупку!</translation>
    </message>
    <message>
        <source>Points for this purchase: %1</source>
        <translation>Баллы за эту покупку: %1</translation>
    </message>
</context>
<context>
    <name>SubscriptionDialog</name>
    <message>
        <source>The guest's card in Telegram</source>
        <translation>Карта гостя в Telegram</translation>
    </message>
    <message>
        <source>The guest is not subscribed to our Telegram bot yet. Let them scan the QR code or send them the link: when they press Start, the bot sends them their card.</source>
        <translation>Гость ещё не подписан на наш Telegram-бот. Дайте ему отсканировать QR-код или отправьте ссылку: когда он нажмёт «Старт», бот пришлёт ему карту.</translation>
    </message>
    <message>
        <source>Copy the link</source>
        <translation>Скопировать ссылку</translation>
    </message>
</context>
<context>
    <name>ClientCardDialog</name>
    <message>
        <source>Client: a card by phone</source>
        <translation>Клиент: карта по телефону</translation>
    </message>
    <message>
        <source>Guest's name</source>
        <translation>Имя клиента</translation>
    </message>
    <message>
        <source>Mobile phone</source>
        <translation>Мобильный телефон</translation>
    </message>
    <message>
        <source>Issue card</source>
        <translation>Выдать карту</translation>
    </message>
    <message>
        <source>A new phone gets a new card; a phone that has one gets the same card again.</source>
        <translation>Новый телефон получает новую карту; телефон, у которого карта уже есть, получает ту же карту повторно.</translation>
    </message>
    <message>
        <source>The buyer of the open sale gets this card.</source>
        <translation>Карту получит покупатель открытого чека.</translation>
    </message>
</context>
<context>
    <name>OrderPayment</name>
    <message>
        <source>Finish or cancel the sale on the screen first, then pay the order.</source>
        <translation>Сначала завершите или отмените продажу на экране, затем оплатите заказ.</translation>
    </message>
</context>
</TS>
