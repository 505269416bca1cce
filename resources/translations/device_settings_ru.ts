<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="ru_RU">
<context>
    <name>DeviceSettingsWidget</name>
    <message>
        <location filename="../work/main/pos_app/ui/settings/device_settings.py" line="44" />
        <source>Devices</source>
        <translation>Устройства</translation>
    </message>
    <message>
        <location filename="../work/main/pos_app/ui/settings/device_settings.py" line="50" />
        <source>Receipt printer</source>
        <translation>Чековый принтер</translation>
    </message>
    <message>
        <location filename="../work/main/pos_app/ui/settings/device_settings.py" line="51" />
        <source>Scanner and card reader</source>
        <translation>Сканер и считыватель карт</translation>
    </message>
    <message>
        <location filename="../work/main/pos_app/ui/settings/device_settings.py" line="52" />
        <source>Sound</source>
        <translation>Звук</translation>
    </message>
    <message>
        <location filename="../work/main/pos_app/ui/settings/device_settings.py" line="53" />
        <source>Save</source>
        <translation>Сохранить</translation>
    </message>
    <message>
        <location filename="../work/main/pos_app/ui/settings/device_settings.py" line="54" />
        <source>Undo changes</source>
        <translation>Отменить изменения</translation>
    </message>
    <message>
        <location filename="../work/main/pos_app/ui/settings/device_settings.py" line="112" />
        <source>Saved.</source>
        <translation>Сохранено.</translation>
    </message>
    <message>
        <location filename="../work/main/pos_app/ui/settings/device_settings.py" line="134" />
        <source>The test page is in the print queue (job %1).</source>
        <translation>Тестовая страница поставлена в очередь печати (задание %1).</translation>
    </message>
    <message>
        <location filename="../work/main/pos_app/ui/settings/device_settings.py" line="143" />
        <source>Playing the test sound.</source>
        <translation>Воспроизводится тестовый звук.</translation>
    </message>
    <message>
        <location filename="../work/main/pos_app/ui/settings/device_settings.py" line="143" />
        <source>Sound is off.</source>
        <translation>Звук выключен.</translation>
    </message>
    <message>
        <location filename="../work/main/pos_app/ui/settings/device_settings.py" line="150" />
        <source>Nothing scanned yet.</source>
        <translation>Пока ничего не отсканировано.</translation>
    </message>
    <message>
        <location filename="../work/main/pos_app/ui/settings/device_settings.py" line="152" />
        <source>barcode</source>
        <translation>штрихкод</translation>
    </message>
    <message>
        <location filename="../work/main/pos_app/ui/settings/device_settings.py" line="152" />
        <source>card</source>
        <translation>карта</translation>
    </message>
    <message>
        <location filename="../work/main/pos_app/ui/settings/device_settings.py" line="153" />
        <source>not read, try again</source>
        <translation>не прочитано, попробуйте ещё раз</translation>
    </message>
    <message>
        <location filename="../work/main/pos_app/ui/settings/device_settings.py" line="165" />
        <source>The settings could not be stored: %1</source>
        <translation>Не удалось сохранить настройки: %1</translation>
    </message>
    <message>
        <location filename="../work/main/pos_app/ui/settings/device_settings.py" line="185" />
        <source>Enter the printer's network address (e.g. 192.168.1.50).</source>
        <translation>Укажите сетевой адрес принтера (например, 192.168.1.50).</translation>
    </message>
    <message>
        <location filename="../work/main/pos_app/ui/settings/device_settings.py" line="186" />
        <source>The printer's TCP port must be from 1 to 65535.</source>
        <translation>TCP-порт принтера должен быть от 1 до 65535.</translation>
    </message>
    <message>
        <location filename="../work/main/pos_app/ui/settings/device_settings.py" line="187" />
        <source>Enter the printer's port or device file.</source>
        <translation>Укажите порт или файл устройства принтера.</translation>
    </message>
    <message>
        <location filename="../work/main/pos_app/ui/settings/device_settings.py" line="188" />
        <source>Enter the printer's USB vendor id (4 hex digits).</source>
        <translation>Укажите USB vendor id принтера (4 шестнадцатеричные цифры).</translation>
    </message>
    <message>
        <location filename="../work/main/pos_app/ui/settings/device_settings.py" line="189" />
        <source>Enter the printer's USB product id (4 hex digits).</source>
        <translation>Укажите USB product id принтера (4 шестнадцатеричные цифры).</translation>
    </message>
    <message>
        <location filename="../work/main/pos_app/ui/settings/device_settings.py" line="190" />
        <source>This paper width takes another number of characters.</source>
        <translation>Для этой ширины бумаги нужно другое число символов в строке.</translation>
    </message>
    <message>
        <location filename="../work/main/pos_app/ui/settings/device_settings.py" line="191" />
        <source>Enter the scanner's port (e.g. /dev/ttyACM0 or COM3).</source>
        <translation>Укажите порт сканера (например, /dev/ttyACM0 или COM3).</translation>
    </message>
    <message>
        <location filename="../work/main/pos_app/ui/settings/device_settings.py" line="192" />
        <source>Enter the scanner's USB vendor id (4 hex digits).</source>
        <translation>Укажите USB vendor id сканера (4 шестнадцатеричные цифры).</translation>
    </message>
    <message>
        <location filename="../work/main/pos_app/ui/settings/device_settings.py" line="193" />
        <source>Enter the scanner's USB product id (4 hex digits).</source>
        <translation>Укажите USB product id сканера (4 шестнадцатеричные цифры).</translation>
    </message>
    <message>
        <location filename="../work/main/pos_app/ui/settings/device_settings.py" line="194" />
        <source>A prefix or suffix is at most 8 characters.</source>
        <translation>Префикс и суффикс — не длиннее 8 символов.</translation>
    </message>
    <message>
        <location filename="../work/main/pos_app/ui/settings/device_settings.py" line="197" />
        <source>This device is not set up on this till.</source>
        <translation>Это устройство не настроено на этой кассе.</translation>
    </message>
</context>
<context>
    <name>PrinterForm</name>
    <message>
        <location filename="../work/main/pos_app/ui/settings/device_forms.py" line="67" />
        <source>Network (TCP 9100)</source>
        <translation>Сеть (TCP 9100)</translation>
    </message>
    <message>
        <location filename="../work/main/pos_app/ui/settings/device_forms.py" line="67" />
        <source>Serial port</source>
        <translation>Последовательный порт</translation>
    </message>
    <message>
        <location filename="../work/main/pos_app/ui/settings/device_forms.py" line="68" />
        <source>USB</source>
        <translation>USB</translation>
    </message>
    <message>
        <location filename="../work/main/pos_app/ui/settings/device_forms.py" line="68" />
        <source>Device file</source>
        <translation>Файл устройства</translation>
    </message>
    <message>
        <location filename="../work/main/pos_app/ui/settings/device_forms.py" line="83" />
        <source>as the profile says</source>
        <translation>из профиля</translation>
    </message>
    <message>
        <location filename="../work/main/pos_app/ui/settings/device_forms.py" line="86" />
        <source>%1 mm</source>
        <translation>%1 мм</translation>
    </message>
    <message>
        <location filename="../work/main/pos_app/ui/settings/device_forms.py" line="88" />
        <source>Print a test page</source>
        <translation>Напечатать тестовую страницу</translation>
    </message>
    <message>
        <location filename="../work/main/pos_app/ui/settings/device_forms.py" line="96" />
        <source>Connection</source>
        <translation>Подключение</translation>
    </message>
    <message>
        <location filename="../work/main/pos_app/ui/settings/device_forms.py" line="97" />
        <source>Address</source>
        <translation>Адрес</translation>
    </message>
    <message>
        <location filename="../work/main/pos_app/ui/settings/device_forms.py" line="98" />
        <source>TCP port</source>
        <translation>TCP-порт</translation>
    </message>
    <message>
        <location filename="../work/main/pos_app/ui/settings/device_forms.py" line="99" />
        <source>Port or file</source>
        <translation>Порт или файл</translation>
    </message>
    <message>
        <location filename="../work/main/pos_app/ui/settings/device_forms.py" line="100" />
        <source>Line speed (baud)</source>
        <translation>Скорость (бод)</translation>
    </message>
    <message>
        <location filename="../work/main/pos_app/ui/settings/device_forms.py" line="101" />
        <source>USB vendor id (hex)</source>
        <translation>USB vendor id (hex)</translation>
    </message>
    <message>
        <location filename="../work/main/pos_app/ui/settings/device_forms.py" line="102" />
        <source>USB product id (hex)</source>
        <translation>USB product id (hex)</translation>
    </message>
    <message>
        <location filename="../work/main/pos_app/ui/settings/device_forms.py" line="103" />
        <source>Printer profile</source>
        <translation>Профиль принтера</translation>
    </message>
    <message>
        <location filename="../work/main/pos_app/ui/settings/device_forms.py" line="104" />
        <source>Code page number</source>
        <translation>Номер кодовой страницы</translation>
    </message>
    <message>
        <location filename="../work/main/pos_app/ui/settings/device_forms.py" line="105" />
        <source>Paper width</source>
        <translation>Ширина бумаги</translation>
    </message>
    <message>
        <location filename="../work/main/pos_app/ui/settings/device_forms.py" line="106" />
        <source>Characters per line</source>
        <translation>Символов в строке</translation>
    </message>
</context>
<context>
    <name>ScannerForm</name>
    <message>
        <location filename="../work/main/pos_app/ui/settings/device_forms.py" line="163" />
        <source>Keyboard (wedge)</source>
        <translation>Клавиатура (wedge)</translation>
    </message>
    <message>
        <location filename="../work/main/pos_app/ui/settings/device_forms.py" line="163" />
        <source>Serial port</source>
        <translation>Последовательный порт</translation>
    </message>
    <message>
        <location filename="../work/main/pos_app/ui/settings/device_forms.py" line="164" />
        <source>USB HID</source>
        <translation>USB HID</translation>
    </message>
    <message>
        <location filename="../work/main/pos_app/ui/settings/device_forms.py" line="173" />
        <source> ms</source>
        <translation> мс</translation>
    </message>
    <message>
        <location filename="../work/main/pos_app/ui/settings/device_forms.py" line="178" />
        <source>Show the last scan</source>
        <translation>Показать последнее сканирование</translation>
    </message>
    <message>
        <location filename="../work/main/pos_app/ui/settings/device_forms.py" line="179" />
        <source>Nothing scanned yet.</source>
        <translation>Пока ничего не отсканировано.</translation>
    </message>
    <message>
        <location filename="../work/main/pos_app/ui/settings/device_forms.py" line="182" />
        <source>Connection</source>
        <translation>Подключение</translation>
    </message>
    <message>
        <location filename="../work/main/pos_app/ui/settings/device_forms.py" line="183" />
        <source>Prefix</source>
        <translation>Префикс</translation>
    </message>
    <message>
        <location filename="../work/main/pos_app/ui/settings/device_forms.py" line="184" />
        <source>Suffix</source>
        <translation>Суффикс</translation>
    </message>
    <message>
        <location filename="../work/main/pos_app/ui/settings/device_forms.py" line="185" />
        <source>Longest pause between keys</source>
        <translation>Наибольшая пауза между клавишами</translation>
    </message>
    <message>
        <location filename="../work/main/pos_app/ui/settings/device_forms.py" line="186" />
        <source>Port</source>
        <translation>Порт</translation>
    </message>
    <message>
        <location filename="../work/main/pos_app/ui/settings/device_forms.py" line="187" />
        <source>Line speed (baud)</source>
        <translation>Скорость (бод)</translation>
    </message>
    <message>
        <location filename="../work/main/pos_app/ui/settings/device_forms.py" line="188" />
        <source>USB vendor id (hex)</source>
        <translation>USB vendor id (hex)</translation>
    </message>
    <message>
        <location filename="../work/main/pos_app/ui/settings/device_forms.py" line="189" />
        <source>USB product id (hex)</source>
        <translation>USB product id (hex)</translation>
    </message>
</context>
<context>
    <name>SoundForm</name>
    <message>
        <location filename="../work/main/pos_app/ui/settings/device_forms.py" line="230" />
        <source>Play sounds</source>
        <translation>Воспроизводить звуки</translation>
    </message>
    <message>
        <location filename="../work/main/pos_app/ui/settings/device_forms.py" line="235" />
        <source>Play a test sound</source>
        <translation>Проиграть тестовый звук</translation>
    </message>
    <message>
        <location filename="../work/main/pos_app/ui/settings/device_forms.py" line="241" />
        <source>Volume</source>
        <translation>Громкость</translation>
    </message>
</context>
</TS>